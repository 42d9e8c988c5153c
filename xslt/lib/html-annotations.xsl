<?xml version="1.0" encoding="UTF-8"?>
<!--
  Annotations in the reading text (mode st:html): names linked to their index entry with
  the entity's identification, dates as time elements, corrections with the source's
  reading, note markers, the editor's commentary at its target, and the lists of notes and
  commentary (modes st:notes, st:commentary).

  Every tip is a sibling of what it explains and carries the hidden attribute, so that a
  page read without the stylesheet (reader modes, text browsers) has no identification
  spliced into its sentences; edition.css shows a tip on hover and focus, edition.js
  places it inside the viewport and closes it on Escape. One mention is one tab stop: a
  correction inside a linked name is not focusable itself, the name's tip tells both.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:mode name="st:commentary" on-no-match="fail" use-accumulators="#all"/>

  <!-- What a reader is told a name's kind is (the tip's first words; also for screen readers). -->
  <xsl:variable name="st:kind-names" as="map(xs:string, xs:string)" select="map{
      'person': 'Person', 'place': 'Place', 'org': 'Organisation', 'work': 'Work'}"/>

  <!-- Search filters (Pagefind) by kind of entity. -->
  <xsl:variable name="st:search-filters" as="map(xs:string, xs:string)" select="map{
      'person': 'person', 'place': 'place'}"/>

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
    <!-- st:kind and st:entry-id of a linked name, from its entity resolved once -->
    <xsl:variable name="kind" select="$st:kind-of-entity(local-name($entity))"/>
    <xsl:variable name="id" select="st:anchor(.)"/>
    <xsl:variable name="tip" select="st:tip($entity)"/>
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="('name', $kind)"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="$site">
          <a href="{$st:index-pages($kind)}#{st:entity-entry-id($entity)}" id="{$id}"
              aria-describedby="{$id}-tip">
            <xsl:if test="map:contains($st:search-filters, $kind)"
                xmlns:map="http://www.w3.org/2005/xpath-functions/map">
              <xsl:attribute name="data-pagefind-filter"
                  select="$st:search-filters($kind) || ':' || st:entity-name($entity)"/>
            </xsl:if>
            <xsl:call-template name="st:name-content"/>
          </a>
        </xsl:when>
        <!-- a page that stands alone has no index to link to: the mention still shows
             its identification on focus -->
        <xsl:otherwise>
          <span class="mention" id="{$id}" tabindex="0" aria-describedby="{$id}-tip">
            <xsl:call-template name="st:name-content"/>
          </span>
        </xsl:otherwise>
      </xsl:choose>
      <span class="tip" role="tooltip" id="{$id}-tip" hidden="hidden" data-pagefind-ignore="all">
        <!-- The identification is in the register's language, not the name's ('fr' title). -->
        <xsl:variable name="tip-lang" select="if ($tip/@lang != '') then string($tip/@lang)
            else st:lang-of(/*, 'en')"/>
        <xsl:if test="$tip-lang != st:lang-of(., '')">
          <xsl:attribute name="lang" select="$tip-lang"/>
        </xsl:if>
        <span class="tip-kind"><xsl:value-of select="$st:kind-names($kind) || ': '"/></span>
        <xsl:value-of select="$tip"/>
        <xsl:for-each select=".//tei:choice[tei:corr | tei:reg]">
          <xsl:text> </xsl:text>
          <xsl:apply-templates select="." mode="st:source-reading"/>
        </xsl:for-each>
      </span>
    </span>
  </xsl:template>

  <!-- A name in a heading is not a link (a heading made of links reads as navigation); it
       keeps its anchor, so that the index still finds it. -->
  <xsl:template _match="({$st:names})[ancestor::tei:head][st:linked(.)]" mode="st:html"
      priority="3">
    <span id="{st:anchor(.)}">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="('name', 'in-head')"/>
      </xsl:call-template>
      <xsl:call-template name="st:name-content"/>
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

  <!-- The corrected (or regularised) reading, with the source's reading on hover or focus:
       one tab stop of its own, unless a linked name holds it (the name's tip tells both). -->
  <xsl:template match="tei:choice[tei:corr | tei:reg]" mode="st:html">
    <xsl:variable name="id" select="st:docid(.) || '-c' || accumulator-before('st:choice-count')"/>
    <span class="choice">
      <!-- focusable, unless inside another link (a ref, a speaker's): valid HTML -->
      <xsl:if test="not(ancestor::*[st:is-link(.)] or ancestor::tei:ref)">
        <xsl:attribute name="tabindex" select="0"/>
      </xsl:if>
      <xsl:attribute name="aria-describedby" select="$id"/>
      <xsl:call-template name="st:corrected"/>
      <span class="tip" role="tooltip" id="{$id}" hidden="hidden" data-pagefind-ignore="all">
        <xsl:apply-templates select="." mode="st:source-reading"/>
      </span>
    </span>
  </xsl:template>

  <xsl:template match="tei:choice[tei:corr | tei:reg][st:in-link(.)]" mode="st:html" priority="2">
    <span class="choice in-name">
      <xsl:call-template name="st:corrected"/>
    </span>
  </xsl:template>

  <xsl:template name="st:corrected">
    <ins>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="source" select="(tei:corr, tei:reg)[1]"/>
        <xsl:with-param name="class" select="local-name((tei:corr, tei:reg)[1])"/>
      </xsl:call-template>
      <xsl:apply-templates select="(tei:corr, tei:reg)[1]/node()" mode="#current"/>
    </ins>
  </xsl:template>

  <!-- 'Source: “Anti-fasciste”.' as a line of a tip. -->
  <xsl:mode name="st:source-reading" on-no-match="fail"/>
  <xsl:template match="tei:choice" mode="st:source-reading">
    <span class="tip-source">
      <xsl:value-of select="(if (tei:corr) then 'Corrected; the source reads: '
          else 'Regularised; the source reads: ') || '“' || st:plain((tei:sic, tei:orig)[1]) || '”'"/>
    </span>
  </xsl:template>

  <!-- True when a choice is rendered inside a name's link. -->
  <xsl:function name="st:in-link" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e/ancestor::*[self::tei:persName | self::tei:placeName
        | self::tei:orgName | self::tei:name | self::tei:rs | self::tei:title[@ref]]
        [st:linked(.)][not(ancestor::tei:head)])"/>
  </xsl:function>


  <!-- ===== notes ===== -->

  <xsl:template match="tei:note" mode="st:html">
    <xsl:variable name="n" select="st:note-number(.)"/>
    <xsl:variable name="label" select="st:note-label(.)"/>
    <a class="noteref" href="#fn{$n}" id="fnref{$n}" data-note="fn{$n}"
        aria-label="{if (@type = 'editorial') then 'Editorial note ' else 'Note '}{$label}">
      <xsl:if test="@type = 'editorial'">
        <xsl:attribute name="class" select="'noteref editorial'"/>
      </xsl:if>
      <sup><xsl:value-of select="$label"/></sup>
    </a>
  </xsl:template>

  <xsl:template match="tei:note" mode="st:notes">
    <xsl:variable name="n" select="st:note-number(.)"/>
    <xsl:variable name="label" select="st:note-label(.)"/>
    <li id="fn{$n}">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="('note', 'editorial'[current()/@type = 'editorial'])"/>
      </xsl:call-template>
      <a class="backref" href="#fnref{$n}" aria-label="Back to note {$label} in the text">
        <xsl:value-of select="$label"/>
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


  <!-- ===== the editor's commentary ===== -->

  <!-- Commentary notes, by the id of the element each is about (its first target). -->
  <xsl:key name="st:commentary" match="tei:note[@type = 'commentary']"
      use="substring-after(tokenize(normalize-space(@target))[1], '#')"/>

  <!-- Gathered in the back; shown at their targets and listed by st:commentary-list (mode
       st:flow too: a division of the back is met there, see html-base.xsl). -->
  <xsl:template match="tei:note[@type = 'commentary']
      | tei:div[@type = 'commentary'][st:is-commentary-list(.)]" mode="st:html st:flow"
      priority="5"/>

  <!-- The heading of the commentary the source gives (its division's head), if any. -->
  <xsl:function name="st:commentary-head" as="element(tei:head)?">
    <xsl:param name="notes" as="element(tei:note)*"/>
    <xsl:sequence select="($notes/parent::tei:div[@type = 'commentary']/tei:head)[1]"/>
  </xsl:function>

  <!-- A division of the editor's commentary notes (and a heading) only: listed apart. A
       commentary division of prose (EpiDoc's) is a section of the text like any other. -->
  <xsl:function name="st:is-commentary-list" as="xs:boolean">
    <xsl:param name="div" as="element()"/>
    <xsl:sequence select="exists($div/tei:note[@type = 'commentary'])
        and empty($div/(* except (tei:head | tei:note[@type = 'commentary'])))"/>
  </xsl:function>
  <xsl:template match="tei:note[@type = 'commentary']" mode="st:notes" priority="5"/>

  <!-- The element a commentary note is about gets the note's marker after its content (after
       it, for a link: no link inside a link). -->
  <xsl:template match="*[@xml:id][exists(key('st:commentary', @xml:id))]" mode="st:html"
      priority="20">
    <xsl:variable name="out" as="node()*"><xsl:next-match/></xsl:variable>
    <xsl:variable name="markers" as="element()*">
      <xsl:apply-templates select="key('st:commentary', @xml:id)" mode="st:commentary-marker"/>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="count($out) = 1 and $out instance of element() and not($out/self::a)">
        <xsl:for-each select="$out">
          <xsl:copy>
            <xsl:sequence select="@*, node(), $markers"/>
          </xsl:copy>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="$out, $markers"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A target met in mode st:flow (a paragraph, a division: html-base.xsl) goes on in st:html,
       so that the template above adds its marker once. -->
  <xsl:template match="*[@xml:id][exists(key('st:commentary', @xml:id))]" mode="st:flow"
      priority="20">
    <xsl:apply-templates select="." mode="st:html"/>
  </xsl:template>

  <xsl:mode name="st:commentary-marker" on-no-match="fail"/>
  <xsl:template match="tei:note" mode="st:commentary-marker">
    <xsl:variable name="id" select="st:commentary-id(.)"/>
    <xsl:variable name="n" select="st:commentary-number(.)"/>
    <a class="noteref commentary" href="#{$id}" id="{$id}-ref" data-note="{$id}"
        aria-label="Editor’s commentary {$n}"><sup><xsl:value-of select="'c' || $n"/></sup></a>
  </xsl:template>

  <!-- The list of the editor's commentary, after the notes. -->
  <xsl:template name="st:commentary-list">
    <xsl:param name="notes" as="element(tei:note)*"/>
    <xsl:if test="$notes">
      <!-- headed as the source heads it (every word of the text is on the page) -->
      <xsl:variable name="head" select="st:commentary-head($notes)"/>
      <aside class="notes commentary" aria-labelledby="commentary-h">
        <h2 id="commentary-h">
          <xsl:choose>
            <xsl:when test="$head">
              <xsl:apply-templates select="$head/node()" mode="st:html"/>
            </xsl:when>
            <xsl:otherwise>Editor’s commentary</xsl:otherwise>
          </xsl:choose>
        </h2>
        <ol class="notes">
          <xsl:apply-templates select="$notes" mode="st:commentary"/>
        </ol>
      </aside>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:note" mode="st:commentary">
    <xsl:variable name="id" select="st:commentary-id(.)"/>
    <xsl:variable name="n" select="st:commentary-number(.)"/>
    <xsl:variable name="target" select="substring-after(tokenize(normalize-space(@target))[1], '#')"/>
    <li id="{$id}">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="('note', 'commentary')"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="$target != '' and exists(key('st:id', $target))">
          <a class="backref" href="#{$id}-ref"
              aria-label="Back to commentary {$n} in the text"><xsl:value-of select="'c' || $n"/></a>
        </xsl:when>
        <xsl:otherwise>
          <span class="backref"><xsl:value-of select="'c' || $n"/></span>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:text> </xsl:text>
      <div class="note-body">
        <span class="note-kind">Editor’s commentary. </span>
        <xsl:apply-templates mode="st:html"/>
        <xsl:if test="normalize-space(@resp)">
          <span class="note-resp"><xsl:value-of select="' — ' || st:resp-name(.)"/></span>
        </xsl:if>
      </div>
    </li>
  </xsl:template>

  <!-- Elements by xml:id: commentary targets, internal pointers (html-phrases.xsl), witnesses
       (html-transcription.xsl), facsimile surfaces (html.xsl). -->
  <xsl:key name="st:id" match="*[@xml:id]" use="@xml:id"/>

  <xsl:function name="st:commentary-id" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="string(($note/@xml:id, 'commentary-' || st:commentary-number($note))[1])"/>
  </xsl:function>

  <xsl:function name="st:commentary-number" as="xs:integer">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="count($note/preceding::tei:note[@type = 'commentary']) + 1"/>
  </xsl:function>

  <!-- Who is responsible for a note: the name of what @resp points to, else its value. -->
  <xsl:function name="st:resp-name" as="xs:string">
    <xsl:param name="note" as="element()"/>
    <xsl:variable name="ref" select="tokenize(normalize-space($note/@resp))[1]"/>
    <xsl:variable name="local" select="if (starts-with($ref, '#'))
        then key('st:id', substring($ref, 2), root($note))[1] else ()"/>
    <xsl:variable name="named" select="($local/(tei:persName, tei:name, tei:orgName)[1], $local)[1]"/>
    <xsl:variable name="entity" select="if ($local) then () else st:entity-of-ref($ref, $note)"/>
    <xsl:sequence select="if ($named) then st:plain($named)
        else if ($entity) then st:entity-name($entity) else $ref"/>
  </xsl:function>

  <xsl:function name="st:entity-of-ref" as="element()?">
    <xsl:param name="ref" as="xs:string"/>
    <xsl:param name="context" as="element()"/>
    <xsl:variable name="probe" as="element()">
      <tei:persName ref="{$ref}"/>
    </xsl:variable>
    <xsl:sequence select="if ($authority) then st:entity($probe) else ()"/>
  </xsl:function>

</xsl:stylesheet>
