<?xml version="1.0" encoding="UTF-8"?>
<!--
  Phrase-level TEI to HTML (mode st:html): highlighting, quotations, citations, titles,
  line/page breaks, milestones, the notes' place (divGen), links.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <!-- ===== phrases ===== -->

  <xsl:template match="tei:hi | tei:seg | tei:foreign | tei:soCalled | tei:mentioned | tei:term
      | tei:gloss | tei:said | tei:distinct" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:emph" mode="st:html">
    <em>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </em>
  </xsl:template>

  <xsl:template match="tei:said[st:has-block(.)]" mode="st:html" priority="2">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'said'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:quote | tei:q" mode="st:html">
    <q>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </q>
  </xsl:template>

  <xsl:template match="tei:quote[st:has-block(.)] | tei:q[st:has-block(.)]" mode="st:html"
      priority="2">
    <blockquote>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </blockquote>
  </xsl:template>

  <xsl:template match="tei:cit" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'cit'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:cit[st:has-block(.)]" mode="st:html" priority="2">
    <figure>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'cit'"/>
      </xsl:call-template>
      <xsl:apply-templates select="node() except tei:bibl" mode="#current"/>
      <xsl:if test="tei:bibl">
        <figcaption><xsl:apply-templates select="tei:bibl" mode="#current"/></figcaption>
      </xsl:if>
    </figure>
  </xsl:template>

  <xsl:template match="tei:title" mode="st:html">
    <cite>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </cite>
  </xsl:template>

  <xsl:template match="tei:bibl" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'bibl'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <!-- A line break; the line's number (lb/@n, inscriptions) as for verse lines. Inside a word
       (break="no"): a hyphen that is not the source's (class gen) and the break, with no
       space, so the word stays whole. -->
  <xsl:template match="tei:lb" mode="st:html">
    <xsl:if test="st:in-word-break(.)">
      <span class="hyphen gen" aria-hidden="true">-</span>
    </xsl:if>
    <br>
      <xsl:if test="st:keeps-xml-id(.)"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:if test="st:in-word-break(.)"><xsl:attribute name="class" select="'in-word'"/></xsl:if>
    </br>
    <xsl:call-template name="st:line-number"/>
  </xsl:template>

  <!-- Page and column breaks with their numbers: '[12]', '[b]' (title: 'page 12'). Inside a
       word the number is an empty marker (its title tells it), so the word stays whole. -->
  <xsl:template match="tei:pb | tei:cb" mode="st:html">
    <xsl:variable name="n" select="normalize-space(@n)"/>
    <xsl:variable name="unit" select="if (self::tei:pb) then 'page' else 'column'"/>
    <xsl:if test="$n != '' or st:keeps-xml-id(.)">
      <span class="{local-name()} gen">
        <xsl:if test="st:keeps-xml-id(.)"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
        <xsl:if test="$n != ''">
          <xsl:attribute name="title" select="$unit || ' ' || $n"/>
          <xsl:if test="not(st:in-word-break(.))">
            <xsl:value-of select="'[' || $n || ']'"/>
          </xsl:if>
        </xsl:if>
      </span>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:gb | tei:index | tei:interpGrp | tei:spanGrp | tei:linkGrp
      | tei:link | tei:span | tei:alt | tei:altGrp | tei:join | tei:joinGrp | tei:fs
      | tei:fLib | tei:certainty | tei:precision | tei:respons | tei:handShift" mode="st:html"/>

  <!-- A point of the text that pointers may target. -->
  <xsl:template match="tei:anchor" mode="st:html">
    <xsl:if test="st:keeps-xml-id(.)">
      <span id="{@xml:id}" class="anchor"/>
    </xsl:if>
  </xsl:template>

  <!-- Space left in the source: a word boundary, never two words glued. -->
  <xsl:template match="tei:space" mode="st:html">
    <span class="space" title="space in the source">
      <xsl:if test="st:keeps-xml-id(.)"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:text> </xsl:text>
    </span>
  </xsl:template>

  <!-- Forme work (running heads, catchwords, signatures), words, numbers, characters. -->
  <xsl:template match="tei:fw | tei:w | tei:pc | tei:num | tei:measure | tei:c | tei:g
      | tei:orig | tei:reg | tei:expan | tei:am | tei:damaged | tei:restore | tei:secl
      | tei:unit | tei:addName | tei:forename | tei:surname | tei:genName | tei:nameLink
      | tei:roleName[not(ancestor::tei:castList)] | tei:idno | tei:affiliation | tei:email
      | tei:abbr | tei:lem | tei:rdg" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:divGen" mode="st:html"/>

  <!-- A note the source places in the margin: shown where it stands, marked as such. -->
  <xsl:template match="tei:note[st:is-marginal(.)]" mode="st:html" priority="4">
    <span role="note">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="('note', 'margin')"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <!-- The place the source gives its notes (divGen type="notes"): the notes are listed there,
       under the source's own heading, instead of in a section of their own at the end. -->
  <xsl:template match="tei:divGen[st:is-notes-place(.)]" mode="st:html" priority="2">
    <xsl:call-template name="st:note-list">
      <xsl:with-param name="notes" select="st:listed-notes(ancestor::tei:text[last()])"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="st:is-notes-place" as="xs:boolean">
    <xsl:param name="divgen" as="element(tei:divGen)"/>
    <xsl:sequence select="$divgen/@type = ('notes', 'footnotes', 'endnotes')
        and not($divgen/preceding::tei:divGen[@type = ('notes', 'footnotes', 'endnotes')])
        and not($divgen/ancestor::tei:note)"/>
  </xsl:function>

  <xsl:template name="st:note-list">
    <xsl:param name="notes" as="element(tei:note)*"/>
    <ol class="notes">
      <xsl:apply-templates select="$notes" mode="st:notes"/>
    </ol>
  </xsl:template>

  <xsl:template match="tei:milestone" mode="st:html">
    <span class="milestone gen" role="separator">
      <xsl:if test="st:keeps-xml-id(.)"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:if test="normalize-space(@n)">
        <xsl:attribute name="title" select="normalize-space(string-join((@unit, @n), ' '))"/>
        <xsl:value-of select="'[' || normalize-space(@n) || ']'"/>
      </xsl:if>
    </span>
  </xsl:template>

  <!-- A paragraph break of the source (a page end) that the edition does not keep. -->
  <xsl:template match="tei:milestone[@type = 'spurious-break']" mode="st:html" priority="2">
    <span class="spurious-break" title="paragraph break in the source (page end), not kept"
        aria-hidden="true">¦</span>
  </xsl:template>

  <!-- ===== links ===== -->

  <!-- A pointer into the document ('#x'): to the element's place in this page, or to the
       index entry of a person, place or work of the document's register; otherwise (the
       target is in the header, or missing) no link, so that none dangles. -->
  <xsl:function name="st:internal-href" as="xs:string?">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="target" select="key('st:id',
        substring-after(tokenize(normalize-space($e/@target))[1], '#'), root($e))[1]"/>
    <xsl:variable name="kind" select="$target ! $st:kind-of-entity(local-name(.))"/>
    <xsl:sequence select="if (empty($target)) then ()
        else if (exists($target/ancestor::tei:text) and exists(st:html-id($target)))
            then '#' || st:html-id($target)
        else if ($site and exists($kind) and not($target/ancestor::tei:text))
            then $st:index-pages($kind) || '#' || st:entity-entry-id($target)
        else ()"/>
  </xsl:function>

  <xsl:template match="tei:ref[starts-with(normalize-space(@target), '#')]" mode="st:html"
      priority="2">
    <xsl:variable name="href" select="st:internal-href(.)"/>
    <xsl:choose>
      <xsl:when test="exists($href) and not(ancestor::tei:ref) and not(.//*[st:linked(.)])">
        <a href="{$href}">
          <xsl:call-template name="st:attrs"/>
          <xsl:apply-templates mode="#current"/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span>
          <xsl:call-template name="st:attrs">
            <xsl:with-param name="class" select="'ref'"/>
          </xsl:call-template>
          <xsl:apply-templates mode="#current"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- An empty pointer into the document: a link labelled with what it points to. -->
  <xsl:template match="tei:ptr[starts-with(normalize-space(@target), '#')]" mode="st:html"
      priority="2">
    <xsl:variable name="href" select="st:internal-href(.)"/>
    <xsl:variable name="target" select="key('st:id',
        substring-after(tokenize(normalize-space(@target))[1], '#'))[1]"/>
    <xsl:variable name="label" select="if ($target/self::tei:note) then st:note-label($target)
        else ($target/tei:head[1] ! st:plain(.), normalize-space(@target))[. != ''][1]"/>
    <xsl:choose>
      <xsl:when test="exists($href) and not(ancestor::tei:ref)">
        <a class="ptr gen" href="{$href}"><xsl:value-of select="$label"/></a>
      </xsl:when>
      <xsl:otherwise>
        <span class="ptr gen"><xsl:value-of select="$label"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:ref[exists(st:href(@target))]" mode="st:html">
    <a href="{st:href(@target)}">
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </a>
  </xsl:template>

  <xsl:template match="tei:ptr[exists(st:href(@target))]" mode="st:html">
    <xsl:variable name="target" select="st:href(@target)"/>
    <a class="ptr gen" href="{$target}"><xsl:value-of select="$target"/></a>
  </xsl:template>

  <!-- A reference that is no link (no target, or one that must stay inert): its words. -->
  <xsl:template match="tei:ref" mode="st:html" priority="-1">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'ref'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <!-- An unsafe pointer is shown as inert text, so that nothing is silently lost. -->
  <xsl:template match="tei:ptr" mode="st:html">
    <span class="ptr gen"><xsl:value-of select="@target"/></span>
  </xsl:template>

</xsl:stylesheet>
