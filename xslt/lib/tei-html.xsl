<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI text to HTML5, element by element (mode st:html), the footnote section
  (mode st:notes), bibliographic records (mode st:bibl) and the table of
  contents (mode st:toc). Elements this module does not know are rendered as
  their text only: never copied, never given a name or attribute from data.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:mode name="st:html" on-no-match="text-only-copy" use-accumulators="#all"/>
  <xsl:mode name="st:notes" on-no-match="fail" use-accumulators="#all"/>
  <xsl:mode name="st:bibl" on-no-match="text-only-copy" use-accumulators="#all"/>
  <xsl:mode name="st:toc" on-no-match="fail" use-accumulators="#all"/>

  <!-- ===== helpers ===== -->

  <!-- class (fixed base plus known @rend tokens) and lang (from xml:lang) on the current output element. -->
  <xsl:template name="st:attrs">
    <xsl:param name="class" as="xs:string*" select="()"/>
    <xsl:param name="source" as="element()" select="."/>
    <xsl:variable name="classes" select="distinct-values(($class, st:rend($source)))"/>
    <xsl:if test="exists($classes)">
      <xsl:attribute name="class" select="$classes" separator=" "/>
    </xsl:if>
    <xsl:if test="$source/@xml:lang and st:lang-ok($source/@xml:lang)">
      <xsl:attribute name="lang" select="$source/@xml:lang"/>
    </xsl:if>
  </xsl:template>

  <!-- The language in scope at a node (its nearest xml:lang), or $default. -->
  <xsl:function name="st:lang-of" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:param name="default" as="xs:string"/>
    <xsl:variable name="lang" select="string(($node/ancestor-or-self::*/@xml:lang)[last()])"/>
    <xsl:sequence select="if (st:lang-ok($lang)) then $lang else $default"/>
  </xsl:function>

  <!-- Elements that become HTML blocks: an element holding one is rendered as a div, not a p. -->
  <xsl:function name="st:has-block" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e//(tei:p | tei:ab | tei:lg | tei:l | tei:list | tei:table
        | tei:sp | tei:div | tei:head | tei:castList | tei:figure | tei:floatingText
        | tei:opener | tei:closer | tei:speaker)
        [not(ancestor::tei:note except $e/ancestor-or-self::tei:note)])"/>
  </xsl:function>

  <xsl:function name="st:heading-level" as="xs:integer">
    <xsl:param name="head" as="element()"/>
    <!-- front and back add a level only when they have a heading of their own. -->
    <xsl:sequence select="min((6, 1 + count($head/ancestor::tei:div
        | $head/ancestor::tei:castList | $head/ancestor::tei:front[tei:head]
        | $head/ancestor::tei:back[tei:head])))"/>
  </xsl:function>

  <xsl:function name="st:div-id" as="xs:string">
    <xsl:param name="div" as="element()"/>
    <xsl:sequence select="string(($div/@xml:id,
        'div' || count($div/preceding::tei:div | $div/ancestor::tei:div) + 1)[1])"/>
  </xsl:function>

  <!-- A naming element is a link when it resolves, and no enclosing name or ref is one already. -->
  <xsl:function name="st:linked" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists(st:entity($e)) and map:contains($st:index-pages, st:kind($e))
        and not($e/ancestor::*[self::tei:persName | self::tei:placeName | self::tei:orgName
            | self::tei:name | self::tei:rs | self::tei:title[@ref]][exists(st:entity(.))])
        and not($e/ancestor::tei:ref)"
        xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
  </xsl:function>

  <!-- Notes: the id of the note and its visible label. -->
  <xsl:function name="st:note-number" as="xs:integer">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:variable name="n" as="xs:string">
      <xsl:number select="$note" level="any" count="tei:note" from="tei:text"/>
    </xsl:variable>
    <xsl:sequence select="xs:integer($n)"/>
  </xsl:function>

  <xsl:function name="st:note-label" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:apply-templates select="$note" mode="st:note-label"/>
  </xsl:function>

  <xsl:mode name="st:note-label" on-no-match="fail"/>
  <xsl:template match="tei:note[normalize-space(translate(@n, '[]()', ''))]" mode="st:note-label"
      as="xs:string" priority="3">
    <xsl:sequence select="normalize-space(translate(@n, '[]()', ''))"/>
  </xsl:template>
  <xsl:template match="tei:note[@type = 'editorial']" mode="st:note-label" as="xs:string"
      priority="2">
    <xsl:variable name="n" as="xs:string">
      <xsl:number level="any" count="tei:note[@type = 'editorial']" from="tei:text"/>
    </xsl:variable>
    <xsl:sequence select="'e' || $n"/>
  </xsl:template>
  <xsl:template match="tei:note" mode="st:note-label" as="xs:string">
    <xsl:number level="any" from="tei:text"
        count="tei:note[not(@type = 'editorial')][not(normalize-space(translate(@n, '[]()', '')))]"/>
  </xsl:template>

  <!-- ===== structure ===== -->

  <xsl:template match="tei:text" mode="st:html">
    <xsl:apply-templates mode="#current"/>
  </xsl:template>

  <xsl:template match="tei:front | tei:body | tei:back | tei:group" mode="st:html">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:floatingText"
      mode="st:html">
    <section id="{st:div-id(.)}">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'div'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </section>
  </xsl:template>

  <xsl:template match="tei:div[@type = 'entry']" mode="st:html" priority="2">
    <article id="{st:div-id(.)}">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'entry'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </article>
  </xsl:template>

  <xsl:template match="tei:div/tei:head | tei:castList/tei:head | tei:front/tei:head
      | tei:body/tei:head | tei:back/tei:head" mode="st:html">
    <xsl:element name="h{st:heading-level(.)}">
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:head" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'head'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab" mode="st:html">
    <p>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </p>
  </xsl:template>

  <xsl:template match="tei:p[st:has-block(.)] | tei:ab[st:has-block(.)]" mode="st:html"
      priority="2">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'p'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:postscript | tei:epigraph | tei:argument
      | tei:trailer | tei:set | tei:titlePage | tei:docTitle | tei:byline | tei:docImprint
      | tei:signed | tei:salute | tei:dateline | tei:docAuthor | tei:docDate | tei:titlePart"
      mode="st:html">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <!-- Inside a paragraph these are phrases, not blocks. -->
  <xsl:template match="(tei:p | tei:opener | tei:closer)//(tei:signed | tei:salute | tei:dateline | tei:byline
      | tei:docAuthor | tei:docDate | tei:titlePart)" mode="st:html" priority="2">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:lg" mode="st:html">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'lg'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:l" mode="st:html">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'l'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:list" mode="st:html">
    <xsl:apply-templates select="tei:head" mode="#current"/>
    <ul>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates select="node() except tei:head" mode="#current"/>
    </ul>
  </xsl:template>

  <xsl:template match="tei:list/tei:item | tei:castList/tei:castItem | tei:castGroup/tei:castItem"
      mode="st:html">
    <li>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </li>
  </xsl:template>

  <!-- Text between list items (whitespace, stray labels) must not sit directly in a ul. -->
  <xsl:template match="(tei:list | tei:castList | tei:castGroup)/text()" mode="st:html">
    <xsl:if test="normalize-space()">
      <li><xsl:value-of select="."/></li>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:list/tei:label" mode="st:html">
    <li>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'label'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </li>
  </xsl:template>

  <xsl:template match="tei:table" mode="st:html">
    <table>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates select="tei:head" mode="st:caption"/>
      <tbody>
        <xsl:apply-templates select="tei:row" mode="#current"/>
      </tbody>
    </table>
  </xsl:template>

  <xsl:mode name="st:caption" on-no-match="fail" use-accumulators="#all"/>
  <xsl:template match="tei:head" mode="st:caption">
    <caption><xsl:apply-templates mode="st:html"/></caption>
  </xsl:template>

  <xsl:template match="tei:row" mode="st:html">
    <tr><xsl:apply-templates select="tei:cell" mode="#current"/></tr>
  </xsl:template>

  <xsl:template match="tei:cell" mode="st:html">
    <td>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </td>
  </xsl:template>

  <xsl:template match="tei:figure" mode="st:html">
    <figure>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates select="node() except tei:figDesc" mode="#current"/>
      <xsl:apply-templates select="tei:figDesc" mode="#current"/>
    </figure>
  </xsl:template>

  <xsl:template match="tei:figDesc" mode="st:html">
    <figcaption><xsl:apply-templates mode="#current"/></figcaption>
  </xsl:template>

  <!-- Images are not published: no data-driven URL is fetched by the reader's browser. -->
  <xsl:template match="tei:graphic | tei:media" mode="st:html"/>

  <!-- ===== drama ===== -->

  <xsl:template match="tei:castList" mode="st:html">
    <section class="castList">
      <xsl:apply-templates select="tei:head" mode="#current"/>
      <ul>
        <xsl:apply-templates select="node() except tei:head" mode="#current"/>
      </ul>
    </section>
  </xsl:template>

  <xsl:template match="tei:castGroup" mode="st:html">
    <li>
      <xsl:apply-templates select="tei:head" mode="#current"/>
      <ul>
        <xsl:apply-templates select="node() except tei:head" mode="#current"/>
      </ul>
    </li>
  </xsl:template>

  <xsl:template match="tei:castGroup/tei:head" mode="st:html" priority="2">
    <span class="head"><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <xsl:template match="tei:role | tei:roleDesc | tei:actor" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:sp" mode="st:html">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'sp'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:speaker" mode="st:html">
    <p>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'speaker'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </p>
  </xsl:template>

  <xsl:template match="tei:stage" mode="st:html">
    <p>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'stage'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </p>
  </xsl:template>

  <xsl:template match="(tei:p | tei:l | tei:ab | tei:head | tei:speaker | tei:seg | tei:hi)//tei:stage"
      mode="st:html" priority="2">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'stage'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

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

  <xsl:template match="tei:lb" mode="st:html"><br/></xsl:template>
  <xsl:template match="tei:lb[@break = 'no']" mode="st:html" priority="2"/>

  <xsl:template match="tei:pb" mode="st:html">
    <xsl:if test="normalize-space(@n)">
      <span class="pb" title="page {normalize-space(@n)}">
        <xsl:value-of select="'[' || normalize-space(@n) || ']'"/>
      </span>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:cb | tei:gb | tei:anchor | tei:divGen | tei:index" mode="st:html"/>

  <!-- The place the source gives its notes (divGen type="notes"): the notes are listed there,
       under the source's own heading, instead of in a section of their own at the end. -->
  <xsl:template match="tei:divGen[st:is-notes-place(.)]" mode="st:html" priority="2">
    <xsl:call-template name="st:note-list">
      <xsl:with-param name="notes" select="ancestor::tei:text[last()]//tei:note"/>
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
    <span class="milestone" role="separator"/>
  </xsl:template>

  <!-- A paragraph break of the source (a page end) that the edition does not keep. -->
  <xsl:template match="tei:milestone[@type = 'spurious-break']" mode="st:html" priority="2">
    <span class="spurious-break" title="paragraph break in the source (page end), not kept"
        aria-hidden="true">¦</span>
  </xsl:template>

  <!-- ===== links ===== -->

  <xsl:template match="tei:ref[exists(st:href(@target))]" mode="st:html">
    <a href="{st:href(@target)}">
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </a>
  </xsl:template>

  <xsl:template match="tei:ptr[exists(st:href(@target))]" mode="st:html">
    <xsl:variable name="target" select="st:href(@target)"/>
    <a href="{$target}"><xsl:value-of select="$target"/></a>
  </xsl:template>

  <!-- An unsafe pointer is shown as inert text, so that nothing is silently lost. -->
  <xsl:template match="tei:ptr" mode="st:html">
    <span class="ptr"><xsl:value-of select="@target"/></span>
  </xsl:template>

  <!-- ===== names and dates ===== -->

  <xsl:template _match="{$st:names}" mode="st:html">
    <span id="{st:anchor(.)}">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="('name', st:kind(.)[. != ''])"/>
      </xsl:call-template>
      <xsl:call-template name="st:name-content"/>
    </span>
  </xsl:template>

  <xsl:template _match="({$st:names})[st:linked(.)]" mode="st:html" priority="2">
    <xsl:variable name="entity" select="st:entity(.)"/>
    <xsl:variable name="kind" select="st:kind(.)"/>
    <xsl:variable name="id" select="st:anchor(.)"/>
    <xsl:variable name="tip" select="st:tip($entity)"/>
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="('name', $kind)"/>
      </xsl:call-template>
      <a href="{$st:index-pages($kind)}#{$entity/@xml:id}" id="{$id}"
          aria-describedby="{$id}-tip">
        <xsl:call-template name="st:name-content"/>
      </a>
      <span class="tip" role="tooltip" id="{$id}-tip">
        <!-- The identification is in the register's language, not the name's ('fr' title). -->
        <xsl:variable name="tip-lang" select="if ($tip/@lang != '') then string($tip/@lang)
            else st:lang-of(/*, 'en')"/>
        <xsl:if test="$tip-lang != st:lang-of(., '')">
          <xsl:attribute name="lang" select="$tip-lang"/>
        </xsl:if>
        <xsl:value-of select="$tip"/>
      </span>
    </span>
  </xsl:template>

  <!-- An entity's tooltip: from $tips (tips.xsl) when the entity is in the authority files,
       else computed here. Both give its register's language ('' for none) and its summary. -->
  <xsl:function name="st:tip" as="element(st:tip)">
    <xsl:param name="entity" as="element()"/>
    <xsl:sequence select="(if (exists($tips) and exists($authority) and root($entity) is $authority)
        then key('st:tip', string($entity/@xml:id), $tips)[1] else (), st:make-tip($entity))[1]"/>
  </xsl:function>

  <xsl:function name="st:make-tip" as="element(st:tip)">
    <xsl:param name="entity" as="element()"/>
    <st:tip id="{$entity/@xml:id}" lang="{st:lang-of($entity, '')}">
      <xsl:value-of select="st:summary($entity)"/>
    </st:tip>
  </xsl:function>

  <xsl:template name="st:name-content">
    <xsl:apply-templates select="." mode="st:name-content"/>
  </xsl:template>

  <xsl:mode name="st:name-content" on-no-match="fail" use-accumulators="#all"/>
  <xsl:template match="*" mode="st:name-content">
    <xsl:apply-templates mode="st:html"/>
  </xsl:template>
  <xsl:template match="tei:title" mode="st:name-content">
    <cite>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="st:html"/>
    </cite>
  </xsl:template>

  <xsl:template match="tei:date[st:datetime(.)] | tei:time[st:datetime(.)]" mode="st:html">
    <time datetime="{st:datetime(.)}">
      <xsl:call-template name="st:date-attrs"/>
      <xsl:apply-templates mode="#current"/>
    </time>
  </xsl:template>

  <xsl:template match="tei:date | tei:time" mode="st:html">
    <span>
      <xsl:call-template name="st:date-attrs"/>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template name="st:date-attrs">
    <xsl:if test="st:date-range(.)">
      <xsl:attribute name="title" select="st:date-range(.)"/>
    </xsl:if>
    <xsl:call-template name="st:attrs">
      <xsl:with-param name="class" select="'date'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== editorial interventions ===== -->

  <!-- The corrected (or regularised) reading, with the source's reading on hover or focus. -->
  <xsl:template match="tei:choice[tei:corr | tei:reg]" mode="st:html">
    <xsl:variable name="id" select="st:docid(.) || '-c' || accumulator-before('st:choice-count')"/>
    <span class="choice" tabindex="0" aria-describedby="{$id}">
      <ins>
        <xsl:call-template name="st:attrs">
          <xsl:with-param name="source" select="(tei:corr, tei:reg)[1]"/>
          <xsl:with-param name="class" select="local-name((tei:corr, tei:reg)[1])"/>
        </xsl:call-template>
        <xsl:apply-templates select="(tei:corr, tei:reg)[1]/node()" mode="#current"/>
      </ins>
      <span class="tip" role="tooltip" id="{$id}">
        <xsl:value-of select="'Source: ' || st:plain((tei:sic, tei:orig)[1])"/>
      </span>
    </span>
  </xsl:template>

  <xsl:template match="tei:choice[tei:abbr and tei:expan]" mode="st:html">
    <abbr title="{st:plain(tei:expan[1])}">
      <xsl:apply-templates select="tei:abbr[1]/node()" mode="#current"/>
    </abbr>
  </xsl:template>

  <xsl:template match="tei:choice" mode="st:html" priority="-1">
    <xsl:apply-templates select="*[1]" mode="#current"/>
  </xsl:template>

  <xsl:template match="tei:sic" mode="st:html">
    <xsl:apply-templates mode="#current"/>
    <span class="sic-mark"> [sic]</span>
  </xsl:template>

  <xsl:template match="tei:corr | tei:add" mode="st:html">
    <ins>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </ins>
  </xsl:template>

  <xsl:template match="tei:del" mode="st:html">
    <del><xsl:apply-templates mode="#current"/></del>
  </xsl:template>

  <xsl:template match="tei:supplied" mode="st:html">
    <span class="supplied" title="supplied by the editors">
      <xsl:text>[</xsl:text>
      <xsl:apply-templates mode="#current"/>
      <xsl:text>]</xsl:text>
    </span>
  </xsl:template>

  <xsl:template match="tei:gap" mode="st:html">
    <span class="gap" title="text omitted">[…]</span>
  </xsl:template>

  <xsl:template match="tei:unclear" mode="st:html">
    <span class="unclear" title="uncertain reading"><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <!-- ===== notes ===== -->

  <xsl:template match="tei:note" mode="st:html">
    <xsl:variable name="n" select="st:note-number(.)"/>
    <a class="noteref" href="#fn{$n}" id="fnref{$n}">
      <xsl:if test="@type = 'editorial'">
        <xsl:attribute name="class" select="'noteref editorial'"/>
      </xsl:if>
      <sup><xsl:value-of select="st:note-label(.)"/></sup>
    </a>
  </xsl:template>

  <xsl:template match="tei:note" mode="st:notes">
    <xsl:variable name="n" select="st:note-number(.)"/>
    <li id="fn{$n}">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="('note', 'editorial'[current()/@type = 'editorial'])"/>
      </xsl:call-template>
      <a class="backref" href="#fnref{$n}" title="back to the text">
        <xsl:value-of select="st:note-label(.)"/>
      </a>
      <xsl:text> </xsl:text>
      <div class="note-body">
        <xsl:if test="@type = 'editorial'">
          <span class="note-kind">Editorial note. </span>
        </xsl:if>
        <xsl:apply-templates mode="st:html"/>
      </div>
    </li>
  </xsl:template>

  <!-- ===== table of contents ===== -->

  <xsl:template match="tei:div" mode="st:toc">
    <li>
      <a href="#{st:div-id(.)}">
        <xsl:value-of select="string-join((tei:head[1], tei:dateline[1]) ! st:plain(.), ' — ')"/>
      </a>
    </li>
  </xsl:template>

  <!-- ===== bibliographic records (sourceDesc) ===== -->

  <xsl:template match="tei:sourceDesc" mode="st:bibl">
    <xsl:apply-templates select="*" mode="#current"/>
  </xsl:template>

  <xsl:template match="tei:sourceDesc/tei:p | tei:sourceDesc/tei:bibl | tei:sourceDesc/tei:listBibl"
      mode="st:bibl">
    <p class="bibl"><xsl:apply-templates mode="#current"/></p>
  </xsl:template>

  <xsl:template match="tei:biblStruct" mode="st:bibl">
    <p class="bibl">
      <xsl:apply-templates select="tei:analytic, tei:monogr, tei:series" mode="#current"/>
    </p>
    <xsl:apply-templates select="tei:relatedItem" mode="#current"/>
  </xsl:template>

  <xsl:template match="tei:analytic" mode="st:bibl">
    <xsl:call-template name="st:persons-line">
      <xsl:with-param name="persons" select="tei:author"/>
    </xsl:call-template>
    <xsl:for-each select="tei:title">
      <xsl:text>“</xsl:text>
      <xsl:apply-templates mode="#current"/>
      <xsl:text>”, </xsl:text>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:monogr" mode="st:bibl">
    <xsl:call-template name="st:persons-line">
      <xsl:with-param name="persons" select="tei:author[not(../../tei:analytic)]"/>
    </xsl:call-template>
    <xsl:for-each select="tei:title">
      <cite><xsl:apply-templates mode="#current"/></cite>
      <xsl:text> </xsl:text>
    </xsl:for-each>
    <xsl:for-each select="tei:editor">
      <xsl:text>ed. </xsl:text>
      <xsl:value-of select="st:plain(.)"/>
      <xsl:text> </xsl:text>
    </xsl:for-each>
    <xsl:apply-templates select="tei:biblScope, tei:imprint" mode="#current"/>
  </xsl:template>

  <xsl:template match="tei:series" mode="st:bibl">
    <xsl:text> (</xsl:text>
    <xsl:value-of select="st:plain(tei:title[1])"/>
    <xsl:text>)</xsl:text>
  </xsl:template>

  <xsl:template match="tei:imprint" mode="st:bibl">
    <xsl:apply-templates select="tei:biblScope[@unit = ('volume', 'issue')]" mode="#current"/>
    <xsl:variable name="place" select="string-join((tei:pubPlace, tei:publisher) ! st:plain(.), ': ')"/>
    <xsl:if test="$place or tei:date">
      <xsl:text>(</xsl:text>
      <xsl:value-of select="string-join(($place[. != ''], tei:date[1] ! st:plain(.)), ', ')"/>
      <xsl:text>)</xsl:text>
    </xsl:if>
    <xsl:apply-templates select="tei:biblScope[not(@unit = ('volume', 'issue'))]" mode="#current"/>
  </xsl:template>

  <xsl:template match="tei:biblScope" mode="st:bibl">
    <xsl:variable name="label" select="map{'volume': 'vol. ', 'issue': 'no. ', 'page': 'pp. ',
        'chapter': 'ch. '}(string(@unit))"/>
    <xsl:value-of select="' ' || $label || st:plain(.) || ' '"/>
  </xsl:template>

  <xsl:template match="tei:relatedItem" mode="st:bibl">
    <p class="bibl related">
      <xsl:text>Also: </xsl:text>
      <xsl:apply-templates select="*" mode="st:bibl-inline"/>
    </p>
  </xsl:template>

  <xsl:mode name="st:bibl-inline" on-no-match="text-only-copy"/>
  <xsl:template match="tei:title" mode="st:bibl st:bibl-inline">
    <cite><xsl:apply-templates mode="#current"/></cite>
  </xsl:template>
  <xsl:template match="tei:note" mode="st:bibl st:bibl-inline"/>
  <xsl:template match="(tei:ref | tei:ptr)[exists(st:href(@target))]"
      mode="st:bibl st:bibl-inline">
    <a href="{st:href(@target)}">
      <xsl:value-of select="if (normalize-space()) then normalize-space() else st:href(@target)"/>
    </a>
  </xsl:template>
  <xsl:template match="tei:idno[@type = ('URL', 'URI', 'url', 'uri')][exists(st:href(string()))]"
      mode="st:bibl st:bibl-inline">
    <a href="{st:href(string())}"><xsl:value-of select="normalize-space()"/></a>
  </xsl:template>
  <xsl:template match="tei:licence[exists(st:href(@target))]" mode="st:bibl st:bibl-inline">
    <a href="{st:href(@target)}" rel="license">
      <xsl:value-of select="if (normalize-space()) then normalize-space()
          else normalize-space(@target)"/>
    </a>
  </xsl:template>
  <xsl:template match="tei:bibl/text() | tei:relatedItem//text()" mode="st:bibl st:bibl-inline">
    <xsl:value-of select="replace(., '\s+', ' ')"/>
  </xsl:template>

  <xsl:template name="st:persons-line">
    <xsl:param name="persons" as="element()*"/>
    <xsl:if test="$persons">
      <xsl:value-of select="string-join($persons ! st:plain(.), ', ') || ', '"/>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
